"""The capstone block's concerns, mixed into assignment.AssignmentBlock: learner work, tutor grading,
files, storage and the rubric's OLX."""

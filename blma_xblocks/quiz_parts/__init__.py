"""The quiz block's concerns, mixed into quiz.QuizBlock: attempts, tutor views, the bank's OLX."""

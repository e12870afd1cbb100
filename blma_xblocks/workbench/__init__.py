"""The project's workbench: xblock-sdk's, with the course, demo users, roles and languages."""

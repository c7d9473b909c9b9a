"""The questionnaire: structure, drafts, submit, the blogger's editor, series, handles."""

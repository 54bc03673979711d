"""The recording of outcomes: the learner's, a company's, the programme's third-party records,
surveys."""

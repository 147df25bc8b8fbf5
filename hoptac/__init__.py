"""hoptac: the management-information system for Vietnam's collective economy."""

"""`onething bench`: the platform's figures, each against a baseline measured in the same run."""

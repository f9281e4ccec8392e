"""Every mistake a plug-in can make that the platform refuses, naming it, while the rest runs on."""

"""退休 and 身后事: two 一件事 flows plugged into OneThing as a package of their own."""

"""Service points and residents' addresses for 15分钟办事圈, one data file per area.

`ningbo_sample.json` is illustrative sample data, not official (see its `note`): three districts
of 宁波 with made-up points around real street names and random residents' addresses near them.
"""

from pathlib import Path

from streams.coverage import load_area

ningbo_sample = load_area(Path(__file__).with_name("ningbo_sample.json"))

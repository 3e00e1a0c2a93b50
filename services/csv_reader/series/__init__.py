"""Stages 4 and 5, rows to readings: a cell's number or time (cells.py), a row's points under
the layout (points.py), times in UTC across clock changes (clock.py), and the series that
turns points into readings: interval ends to starts, power to energy, registers to
differences, tariffs and phases summed (series.py); the generic layout's hot loop
(fast_path.py)."""

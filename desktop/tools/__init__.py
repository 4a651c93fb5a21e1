"""Tools beside the exhibit: the benchmark (`python -m desktop.bench`), the screenshot story
(`python -m desktop --screenshots DIR`) and the kiosk's (`--screenshots DIR --kiosk`)."""

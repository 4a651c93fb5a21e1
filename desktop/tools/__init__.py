"""Tools beside the exhibit: the benchmark (`python -m desktop.bench`) and the screenshot story
(`python -m desktop --screenshots DIR`)."""

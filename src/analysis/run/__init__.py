"""Running the pipeline: the stages the notebooks call, the papermill runner, run folders, progress."""

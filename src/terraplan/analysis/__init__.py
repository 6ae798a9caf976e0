"""Pure analysis functions: labelled DataFrames in, labelled DataFrames out."""

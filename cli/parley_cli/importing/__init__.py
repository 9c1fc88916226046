"""`parley import`: one reader per source format, a plan that turns what they read into stored comments."""

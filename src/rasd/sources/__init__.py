"""Where articles come from: files, folders, standard input (and, later, URLs and feeds)."""

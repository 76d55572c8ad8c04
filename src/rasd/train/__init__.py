"""Training the extraction models and lexicons from ../shared/data (``rasd train``)."""

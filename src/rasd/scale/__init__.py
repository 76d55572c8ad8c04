"""Scale: the text path over many cores or machines (Dask), and Parquet archives in and out.

``rasd.scale.inputs`` turns command-line inputs into items (files, folders, Parquet rows);
``rasd.scale.engine`` runs the pure stages of ``rasd.pipeline`` on a Dask cluster and gives the
results back in input order, so the store's one writer sees exactly what a single process would;
``rasd.scale.parquet`` writes a store table as a Parquet file.
"""

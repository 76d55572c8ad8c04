from rasd.cli import run

run()

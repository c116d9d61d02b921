from taxonomy.cli import run

run()

from lisite.cli import main

main()

import TracejitCLI

TracejitCommand.main()

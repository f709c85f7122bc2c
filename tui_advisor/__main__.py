from tui_advisor.cli import main

raise SystemExit(main())

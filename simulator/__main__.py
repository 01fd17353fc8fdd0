from simulator import main

raise SystemExit(main())

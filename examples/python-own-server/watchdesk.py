#!/usr/bin/env python3
"""Only a launcher: the package reads its settings and starts its own server."""

import watchdesk

if __name__ == "__main__":
    watchdesk.main()

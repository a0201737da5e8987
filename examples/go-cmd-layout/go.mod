module github.com/dockgen-examples/go-cmd-layout

go 1.22.3

toolchain go1.25.1

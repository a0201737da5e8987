module example.com/go-config-required

go 1.22

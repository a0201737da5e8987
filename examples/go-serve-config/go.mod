module example.com/go-serve-config

go 1.22

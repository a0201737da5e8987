module example.com/go-config-struct

go 1.22

module example.com/go-library-example

go 1.22

module example.com/go-embed-ui

go 1.26

module example.com/go-sibling-ui

go 1.26

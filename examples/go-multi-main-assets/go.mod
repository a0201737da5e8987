module example.com/go-multi-main-assets

go 1.22

module example.com/go-vendored

go 1.27

require example.com/greeting v0.3.0

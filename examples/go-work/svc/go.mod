module example.com/svc

go 1.26

require example.com/greet v0.0.0

package main

import "net/http"

// registerPages adds the web pages (server-rendered HTML) to mux.
func (a *app) registerPages(mux *http.ServeMux) {}

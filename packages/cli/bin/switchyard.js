#!/usr/bin/env node
// Launcher for the compiled CLI; `npm install` builds dist/ through the root `prepare` script.
import "../dist/main.js"

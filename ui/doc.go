// Package ui holds what turns plain data into strings on a terminal for
// docsnap: the styles (built for a dark or a light background), the key map
// and its help, statuses as glyph and word, the progress bar, and text
// fitting. It keeps no state; the model owns that.
//
// The packages under ui/ form two layers, and imports only go one way
// between them, so that the model never depends on how it is delivered
// (TestLayers holds them to it):
//
// Drawing pieces, which package model imports and which import nothing of
// model:
//   - ui (this package): styles, keys, statuses, the progress bar, text fitting
//   - ui/table: a table that draws only its visible rows
//   - ui/sanitize: server text made safe for a terminal
//   - ui/awscli: the AWS CLI command line equivalent to an action
//
// Delivery, which puts the model (or the same client and rules without it)
// in front of a user:
//   - ui/command: the command line, its flags and its config file
//     (ui/command/config), wiring everything below; main.go runs it
//   - ui/cli: the scriptable commands (table or JSON on stdout)
//   - ui/sshserver: the TUI served over SSH, one program per session, built
//     by a function ui/command hands it
package ui

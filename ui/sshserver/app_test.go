package sshserver

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model"
)

// testNow is the model's clock in these tests, so that the snapshot form
// suggests a known identifier.
var testNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// firstCluster is the first cluster of the demo fleet's list, under the
// cursor when the list opens; suggestedID is the identifier the form
// suggests for it.
const (
	firstCluster = "analytics-events"
	suggestedID  = "analytics-events-2026-03-01-0900"
)

// realApp is the docsnap model, as main wires it.
func realApp(a AppConfig) tea.Model {
	return model.New(model.Config{Client: a.Client, Demo: a.Demo, ReadOnly: a.ReadOnly, Context: a.Context,
		Now: func() time.Time { return testNow }})
}

// bombApp is the docsnap model with a fault planted: "!" panics.
func bombApp(a AppConfig) tea.Model { return planted{realApp(a)} }

type planted struct{ tea.Model }

func (p planted) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
		panic("planted fault")
	}
	m, cmd := p.Model.Update(msg)
	return planted{m}, cmd
}

// createSnapshot takes a snapshot of the cluster under the cursor through
// the screens, as a person does: s, a tag, enter to review, enter to send.
func createSnapshot(t testing.TB, h *harness, c *tui, user string) {
	t.Helper()
	c.press(t, "s")
	h.screens.waitScreen(t, user, "New snapshot of "+firstCluster, suggestedID)
	c.press(t, "\tteam\tops")
	h.screens.waitScreen(t, user, "team", "ops")
	c.press(t, "\r")
	h.screens.waitScreen(t, user, "Create this snapshot?")
	c.press(t, "\r")
	h.screens.waitScreen(t, user, "Snapshot "+suggestedID, "of cluster "+firstCluster)
}

package sshserver

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
)

// Until the real model lands: a tiny app, enough to exercise the server's
// plumbing.

type tinyModel struct {
	app      AppConfig
	clusters []string
	status   string
	n        int
}

type clustersMsg []string
type statusMsg string

func newTiny(a AppConfig) tea.Model { return &tinyModel{app: a} }

func (m *tinyModel) Init() tea.Cmd {
	c := m.app.Client
	return func() tea.Msg {
		cs, err := awsclient.All(context.Background(), c.Clusters())
		if err != nil {
			return statusMsg(err.Error())
		}
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		return clustersMsg(ids)
	}
}

func (m *tinyModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case clustersMsg:
		m.clusters = msg
	case statusMsg:
		m.status = string(msg)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "p":
			panic("tiny model asked to panic")
		case "s":
			if m.app.ReadOnly != "" {
				m.status = m.app.ReadOnly
				return m, nil
			}
			m.n++
			c, id := m.app.Client, fmt.Sprintf("snap-%d", m.n)
			return m, func() tea.Msg {
				s, err := c.CreateSnapshot(context.Background(), awsclient.CreateSnapshotInput{
					ClusterID: m.clusters[0], SnapshotID: id, Tags: []awsclient.Tag{{Key: "team", Value: "ops"}}})
				if err != nil {
					return statusMsg(err.Error())
				}
				return statusMsg("created " + s.ID)
			}
		}
	}
	return m, nil
}

func (m *tinyModel) View() tea.View {
	v := tea.NewView("CLUSTERS\n" + strings.Join(m.clusters, "\n") + "\n" + m.status)
	v.AltScreen = true
	return v
}

package ui

// Tone is what a status means for the user, which decides its glyph and
// colour.
type Tone int

// Tones of statuses.
const (
	ToneUnknown Tone = iota
	ToneGood         // ready: available
	ToneBusy         // changing: creating, modifying, backing-up...
	ToneOff          // stopped
	ToneBad          // failed or going away
)

// StatusTone classifies a DocumentDB cluster, instance or snapshot status:
// the docdb API's words, and the elastic API's (upper case, shared by its
// clusters and snapshots), shown as AWS sends them.
func StatusTone(status string) Tone {
	switch status {
	case "available", "ACTIVE":
		return ToneGood
	case "CREATING", "UPDATING", "MERGING", "MODIFYING", "SPLITTING", "COPYING", "STARTING", "STOPPING",
		"MAINTENANCE":
		return ToneBusy
	case "STOPPED":
		return ToneOff
	case "FAILED", "DELETING", "VPC_ENDPOINT_LIMIT_EXCEEDED", "IP_ADDRESS_LIMIT_EXCEEDED", "INVALID_SECURITY_GROUP_ID",
		"INVALID_SUBNET_ID", "INACCESSIBLE_ENCRYPTION_CREDS", "INACCESSIBLE_SECRET_ARN", "INACCESSIBLE_VPC_ENDPOINT",
		"INCOMPATIBLE_NETWORK", "INACCESSIBLE_ENCRYPTION_CREDENTIALS_RECOVERABLE":
		return ToneBad
	case "creating", "backing-up", "modifying", "upgrading", "renaming", "maintenance",
		"migrating", "starting", "stopping", "failing-over", "resetting-master-credentials",
		"rebooting", "copying", "configuring-log-exports":
		return ToneBusy
	case "stopped":
		return ToneOff
	case "failed", "deleting", "deleted", "migration-failed", "inaccessible-encryption-credentials",
		"incompatible-restore", "incompatible-parameters", "incompatible-network", "storage-full":
		return ToneBad
	}
	return ToneUnknown
}

// Glyph is the tone's mark, which says what colour says to those who see
// it, and alone under NO_COLOR.
func (t Tone) Glyph() string {
	switch t {
	case ToneGood:
		return "●"
	case ToneBusy:
		return "◔"
	case ToneOff:
		return "○"
	case ToneBad:
		return "✗"
	}
	return "?"
}

// ToneOf is the paint of a tone.
func (s *Styles) ToneOf(t Tone) Paint {
	switch t {
	case ToneGood:
		return s.Good
	case ToneBusy:
		return s.Busy
	case ToneOff:
		return s.Off
	case ToneBad:
		return s.Bad
	}
	return s.Muted
}

// Status renders a status as glyph and word, coloured, fitted to width
// columns (0: as long as it is). An empty status shows as "unknown".
func (s *Styles) Status(status string, width int) string {
	if status == "" {
		status = "unknown"
	}
	t := StatusTone(status)
	text := t.Glyph() + " " + status
	if width > 0 {
		text = Fit(text, width)
	}
	return s.ToneOf(t).Render(text)
}

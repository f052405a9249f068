package emulator

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// AverageStorageGiB is the cluster size whose snapshot takes
// Options.SnapshotDuration; other sizes take proportionally longer or
// shorter, but never less than a tenth of it.
const AverageStorageGiB = 100

// snapshotDuration is how long a snapshot of a cluster of sizeGiB takes.
func snapshotDuration(base time.Duration, sizeGiB int) time.Duration {
	size := max(sizeGiB, AverageStorageGiB/10)
	return base * time.Duration(size) / AverageStorageGiB
}

// The shape of a snapshot's progress: it sits at 0 for a while (the stall,
// a share of its duration), then moves through a few segments of random
// lengths, each carrying a random share of the data, so that it never moves
// evenly. The curve is drawn from the seed and the snapshot identifier, so it
// is computed afresh on each describe and the same every time.
const (
	progressSegments = 6
	minStall         = 0.05
	maxStall         = 0.20
)

// progress says how far a snapshot that has run for elapsed of its duration
// is: a percentage that reaches 100 only when it is done.
func progress(seed int64, id string, elapsed, duration time.Duration) (percent int, done bool) {
	if elapsed >= duration {
		return 100, true
	}
	if elapsed <= 0 {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))

	stall := minStall + (maxStall-minStall)*rng.Float64()
	f := float64(elapsed) / float64(duration)
	if f < stall {
		return 0, false
	}
	var length, share [progressSegments]float64
	var totalLength, totalShare float64
	for i := range progressSegments {
		length[i] = 0.3 + rng.Float64()
		share[i] = 0.05 + rng.Float64()*rng.Float64()
		totalLength += length[i]
		totalShare += share[i]
	}
	pos := (f - stall) / (1 - stall) * totalLength // how far along the segments
	var moved float64
	for i := range progressSegments {
		if pos <= length[i] {
			moved += share[i] * pos / length[i]
			break
		}
		pos -= length[i]
		moved += share[i]
	}
	return min(int(100*moved/totalShare), 99), false
}

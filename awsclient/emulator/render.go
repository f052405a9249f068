package emulator

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// accountIDs are the identifiers AWS derives for an account in a region:
// ARNs, the endpoint suffix, the VPC and security group, the KMS key.
// They are made up, deterministically, from the account and region.
type accountIDs struct {
	region, account string
	arnPrefix       string // arn:aws:rds:REGION:ACCOUNT:
	endpointSuffix  string // cabcdefghijk: per account and region
	hostedZone      string
	vpc             string
	securityGroups  []xmlSecurityGroup
	kmsKey          string
}

func newAccountIDs(account, region string) accountIDs {
	return accountIDs{
		region:         region,
		account:        account,
		arnPrefix:      "arn:aws:rds:" + region + ":" + account + ":",
		endpointSuffix: "c" + token(lowerAlnum, 11, account, region),
		hostedZone:     "Z" + token(upperAlnum, 12, region),
		vpc:            "vpc-" + token(hexDigits, 17, account, region, "vpc"),
		securityGroups: []xmlSecurityGroup{{VpcSecurityGroupID: "sg-" + token(hexDigits, 17, account, region, "sg"), Status: "active"}},
		kmsKey:         "arn:aws:kms:" + region + ":" + account + ":key/" + formatUUID(token(hexDigits, 32, account, region, "kms")),
	}
}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	hexDigits  = "0123456789abcdef"
)

// token makes n characters of alphabet that depend only on parts.
func token(alphabet string, n int, parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	rng := rand.New(rand.NewPCG(h.Sum64(), 0))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// Resource kinds in ARNs.
const (
	kindCluster  = "cluster"
	kindSnapshot = "cluster-snapshot"
	kindInstance = "db"
)

func (a accountIDs) arn(kind, id string) string { return a.arnPrefix + kind + ":" + id }

// parseARN splits an ARN of this account and region into its resource kind
// and identifier (lower case). Snapshot identifiers may hold colons
// (rds:cluster-2024-…), so the identifier is the whole rest.
func (a accountIDs) parseARN(arn string) (kind, id string, ok bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "rds" || parts[3] != a.region || parts[4] != a.account {
		return "", "", false
	}
	return parts[5], strings.ToLower(parts[6]), true
}

// resourceID turns an identifier or an ARN of kind into the identifier
// stored; an ARN of another kind or place yields "", which names nothing.
func (a accountIDs) resourceID(v, kind string) string {
	if !strings.HasPrefix(v, "arn:") {
		return strings.ToLower(v)
	}
	if k, id, ok := a.parseARN(v); ok && k == kind {
		return id
	}
	return ""
}

// engine facts: the port, DNS domain and default user of each engine a
// fleet may hold.
func enginePort(engine string) int {
	switch {
	case engine == "neptune":
		return 8182
	case strings.HasPrefix(engine, "aurora-postgresql"), engine == "postgres":
		return 5432
	case strings.HasPrefix(engine, "aurora"), engine == "mysql":
		return 3306
	}
	return 27017
}

func engineDomain(engine string) string {
	switch engine {
	case "docdb":
		return "docdb.amazonaws.com"
	case "neptune":
		return "neptune.amazonaws.com"
	}
	return "rds.amazonaws.com"
}

func masterUser(engine string) string {
	switch {
	case engine == "docdb":
		return "docdbadmin"
	case strings.HasPrefix(engine, "aurora-postgresql"):
		return "postgres"
	}
	return "admin"
}

// parameterGroup is the default cluster parameter group: default.docdb5.0,
// default.aurora-postgresql15, default.neptune1.3.
func parameterGroup(engine, version string) string {
	parts := strings.SplitN(version, ".", 3)
	family := parts[0]
	if engine != "aurora-postgresql" && len(parts) > 1 {
		family += "." + parts[1]
	}
	return "default." + engine + family
}

func (s *Server) renderCluster(c *cluster, now time.Time) xmlCluster {
	a := s.ids
	host := a.endpointSuffix + "." + a.region + "." + engineDomain(c.engine)
	members := make([]xmlMember, len(c.members))
	for i, m := range c.members {
		members[i] = xmlMember{DBInstanceIdentifier: m.id, IsClusterWriter: m.writer,
			DBClusterParameterGroupStatus: "in-sync", PromotionTier: 1}
	}
	x := xmlCluster{
		AvailabilityZones:          s.world.zones,
		BackupRetentionPeriod:      c.backupDays,
		DBClusterIdentifier:        c.id,
		DBClusterParameterGroup:    parameterGroup(c.engine, c.version),
		DBSubnetGroup:              "default",
		Status:                     c.status,
		EarliestRestorableTime:     timestamp(later(c.created, now.AddDate(0, 0, -c.backupDays))),
		Endpoint:                   c.id + ".cluster-" + host,
		ReaderEndpoint:             c.id + ".cluster-ro-" + host,
		MultiAZ:                    len(c.members) > 1,
		Engine:                     c.engine,
		EngineVersion:              c.version,
		LatestRestorableTime:       timestamp(later(c.created, now.Add(-5*time.Minute))),
		Port:                       enginePort(c.engine),
		MasterUsername:             masterUser(c.engine),
		PreferredBackupWindow:      c.backupWindow,
		PreferredMaintenanceWindow: c.maintenanceWindow,
		DBClusterMembers:           list[xmlMember]{members},
		VpcSecurityGroups:          list[xmlSecurityGroup]{a.securityGroups},
		HostedZoneID:               a.hostedZone,
		StorageEncrypted:           c.encrypted,
		DbClusterResourceID:        "cluster-" + token(upperAlnum, 26, a.account, a.region, c.id),
		DBClusterArn:               a.arn(kindCluster, c.id),
		ClusterCreateTime:          timestamp(c.created),
		LogExports:                 c.logExports,
		DeletionProtection:         c.deletionProtection,
		StorageType:                "standard",
	}
	if c.encrypted {
		x.KmsKeyID = a.kmsKey
	}
	return x
}

// memberARN is the ARN of a global cluster's member, in its own region.
func (s *Server) memberARN(m GlobalMemberSpec) string {
	return "arn:aws:rds:" + m.Region + ":" + s.ids.account + ":" + kindCluster + ":" + strings.ToLower(m.ClusterID)
}

// renderGlobalCluster writes a global cluster as AWS does: an ARN with no
// region, and the primary's Readers naming the secondaries.
func (s *Server) renderGlobalCluster(g *globalCluster) xmlGlobalCluster {
	var readers []string
	for _, m := range g.members {
		if !m.Primary {
			readers = append(readers, s.memberARN(m))
		}
	}
	members := make([]xmlGlobalMember, len(g.members))
	for i, m := range g.members {
		members[i] = xmlGlobalMember{DBClusterArn: s.memberARN(m), IsWriter: m.Primary}
		if m.Primary {
			members[i].Readers = readers
		} else {
			members[i].SynchronizationStatus = "connected"
		}
	}
	return xmlGlobalCluster{
		GlobalClusterIdentifier: g.id,
		GlobalClusterResourceID: "cluster-" + token(hexDigits, 16, s.ids.account, g.id),
		GlobalClusterArn:        "arn:aws:rds::" + s.ids.account + ":global-cluster:" + g.id,
		Status:                  "available",
		Engine:                  g.engine,
		EngineVersion:           g.version,
		StorageEncrypted:        g.encrypted,
		GlobalClusterMembers:    list[xmlGlobalMember]{members},
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// state is a snapshot's status and progress at now.
func (s *Server) state(sn *snapshot, now time.Time) (status string, percent int) {
	if sn.duration > 0 {
		if p, done := progress(s.opts.Seed, sn.id, now.Sub(sn.created), sn.duration); !done {
			if sn.copying {
				return awsclient.StatusCopying, p
			}
			return awsclient.StatusCreating, p
		}
	}
	if sn.status == "available" {
		return sn.status, 100
	}
	return sn.status, 0
}

func (s *Server) renderSnapshot(sn *snapshot, now time.Time) xmlSnapshot {
	c := sn.cluster
	status, percent := s.state(sn, now)
	x := xmlSnapshot{
		AvailabilityZones:           s.world.zones,
		DBClusterSnapshotIdentifier: sn.id,
		DBClusterIdentifier:         c.id,
		SnapshotCreateTime:          timestamp(sn.created),
		Engine:                      c.engine,
		Status:                      status,
		Port:                        enginePort(c.engine),
		VpcID:                       s.ids.vpc,
		ClusterCreateTime:           timestamp(c.created),
		MasterUsername:              masterUser(c.engine),
		EngineVersion:               c.version,
		SnapshotType:                sn.typ,
		PercentProgress:             percent,
		StorageEncrypted:            c.encrypted,
		DBClusterSnapshotArn:        cmp.Or(sn.arn, s.ids.arn(kindSnapshot, sn.id)),
		SourceDBClusterSnapshotArn:  sn.source,
		StorageType:                 "standard",
	}
	if c.encrypted {
		x.KmsKeyID = cmp.Or(sn.kmsKey, s.ids.kmsKey)
	}
	return x
}

func (s *Server) renderInstance(in *instance) xmlInstance {
	a := s.ids
	c := in.cluster
	tier := 1
	if in.writer {
		tier = 0
	}
	x := xmlInstance{
		DBInstanceIdentifier:       in.id,
		DBInstanceClass:            in.class,
		Engine:                     c.engine,
		DBInstanceStatus:           in.status,
		InstanceCreateTime:         timestamp(c.created),
		PreferredBackupWindow:      c.backupWindow,
		BackupRetentionPeriod:      c.backupDays,
		VpcSecurityGroups:          list[xmlSecurityGroup]{a.securityGroups},
		AvailabilityZone:           in.zone,
		DBSubnetGroup:              xmlSubnetGroup{"default", "default", a.vpc, "Complete"},
		PreferredMaintenanceWindow: c.maintenanceWindow,
		EngineVersion:              c.version,
		AutoMinorVersionUpgrade:    true,
		DBClusterIdentifier:        c.id,
		StorageEncrypted:           c.encrypted,
		DbiResourceID:              "db-" + token(upperAlnum, 26, a.account, a.region, in.id),
		CACertificateIdentifier:    "rds-ca-rsa2048-g1",
		PromotionTier:              tier,
		DBInstanceArn:              a.arn(kindInstance, in.id),
	}
	if in.status != "creating" {
		x.Endpoint = &xmlEndpoint{Address: in.id + "." + a.endpointSuffix + "." + a.region + "." + engineDomain(c.engine),
			Port: enginePort(c.engine), HostedZoneID: a.hostedZone}
	}
	if c.encrypted {
		x.KmsKeyID = a.kmsKey
	}
	return x
}

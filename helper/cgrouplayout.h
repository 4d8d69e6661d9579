#pragma once

#include <QString>
#include <QStringList>

namespace Pitwall {

// Where the cpu and memory controllers live on this host, read from /proc/self/mountinfo:
// - V2: a cgroup2 mount whose cgroup.controllers lists cpu and memory (pure unified host);
// - V1: cgroup v1 mounts holding the cpu and the memory controller (maybe co-mounted with
//   others: `cpu,cpuacct`), and no cgroup2 mount;
// - Hybrid: like V1, plus a cgroup2 mount lacking those controllers (this CI host);
// - None: neither offers both controllers; reason() says what was found.
class CgroupLayout final
{
public:
    enum class Kind { None, V1, V2, Hybrid };

    static CgroupLayout detect(
        const QString &mountInfoPath = QStringLiteral("/proc/self/mountinfo"));
    // The `cgroup_root` override (and tests): a dir holding cgroup.controllers is a v2 root; a
    // dir with cpu/ and memory/ subdirs is a v1 root with those two hierarchies.
    static CgroupLayout fromRoot(const QString &dir);

    Kind kind() const { return m_kind; }
    bool isUnified() const { return m_kind == Kind::V2; }
    // Mount points (absolute paths). unifiedMount is set on V2 and Hybrid; cpu/memory on V1 and
    // Hybrid (the same path when both controllers share one v1 hierarchy).
    const QString &unifiedMount() const { return m_unified; }
    const QString &cpuMount() const { return m_cpu; }
    const QString &memoryMount() const { return m_memory; }
    // The hierarchies a job lives in: the unified mount on V2, else cpu then memory (deduplicated).
    QStringList hierarchies() const;
    const QString &reason() const { return m_reason; }
    QString describe() const;

    static QString kindName(Kind kind);

private:
    Kind m_kind = Kind::None;
    QString m_unified;
    QString m_cpu;
    QString m_memory;
    QString m_reason;
};

} // namespace Pitwall

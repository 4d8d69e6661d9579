#include "testjobs.h"

#include "cgroupmanager.h"
#include "cgroupworkload.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {

QString read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().trimmed())
                                          : u"<missing>"_s;
}

void expect(QStringList &mismatches, const QString &what, const QString &got, const QString &want)
{
    if (got != want)
        mismatches << u"%1: got \"%2\", want \"%3\""_s.arg(what, got, want);
}

} // namespace

QStringList standardJobMismatches(const Pitwall::CgroupLayout &layout, const QString &base,
                                  const QString &jobId, const CgroupWorkload &workload)
{
    QStringList mismatches;
    const QString inJob = u'/' + base + u'/' + jobId;
    if (layout.isUnified()) {
        const QString job = layout.unifiedMount() + inJob;
        expect(mismatches, u"cgroup of the process"_s, workload.cgroupOf(QString()), inJob);
        expect(mismatches, job + u"/cpu.max"_s, read(job + u"/cpu.max"_s), u"200000 100000"_s);
        expect(mismatches, job + u"/cpu.weight"_s, read(job + u"/cpu.weight"_s), u"100"_s);
        expect(mismatches, job + u"/memory.max"_s, read(job + u"/memory.max"_s), u"4294967296"_s);
        return mismatches;
    }
    const QString cpuJob = layout.cpuMount() + inJob;
    const QString memoryJob = layout.memoryMount() + inJob;
    expect(mismatches, u"cpu cgroup of the process"_s, workload.cgroupOf(u"cpu"_s), inJob);
    expect(mismatches, u"memory cgroup of the process"_s, workload.cgroupOf(u"memory"_s), inJob);
    for (const auto &[file, want] : {std::pair{u"/cpu.cfs_period_us"_s, u"100000"_s},
                                     std::pair{u"/cpu.cfs_quota_us"_s, u"200000"_s},
                                     std::pair{u"/cpu.shares"_s, u"1024"_s},
                                     std::pair{u"/cgroup.procs"_s, QString::number(workload.pid())}})
        expect(mismatches, cpuJob + file, read(cpuJob + file), want);
    expect(mismatches, memoryJob + u"/memory.limit_in_bytes"_s,
           read(memoryJob + u"/memory.limit_in_bytes"_s), u"4294967296"_s);
    return mismatches;
}

QString removeTestBase(const Pitwall::CgroupLayout &layout, const QString &base)
{
    Pitwall::CgroupManager(layout, base).sweepEmptyJobs();
    for (const QString &mount : layout.hierarchies()) {
        if (QFileInfo::exists(mount + u'/' + base) && !QDir(mount).rmdir(base))
            return mount + u'/' + base;
    }
    return {};
}

#include "cgrouplayout.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// Fixtures are real mountinfo text whose mount points live in a temporary directory, so that a
// cgroup2 mount's cgroup.controllers can be read as detect() reads it on a host.
class CgroupLayoutTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString mount(const QString &name, const QByteArray &controllers = {})
    {
        const QString path = m_dir.filePath(name);
        if (!QDir().mkpath(path))
            return {};
        if (!controllers.isNull()) {
            QFile file(path + u"/cgroup.controllers"_s);
            if (!file.open(QIODevice::WriteOnly) || file.write(controllers + '\n') < 0)
                return {};
        }
        return path;
    }

    CgroupLayout detectFrom(const QString &mountInfo)
    {
        QFile file(m_dir.filePath(u"mountinfo"_s));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(mountInfo.toUtf8());
        file.close();
        return CgroupLayout::detect(file.fileName());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void pureV2()
    {
        const QString root = mount(u"v2"_s, "cpuset cpu io memory hugetlb pids rdma misc");
        const CgroupLayout layout = detectFrom(
            u"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
            u"26 23 0:24 / %1 rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"_s
                .arg(root));
        QCOMPARE(layout.kind(), CgroupLayout::Kind::V2);
        QVERIFY(layout.isUnified());
        QCOMPARE(layout.unifiedMount(), root);
        QCOMPARE(layout.hierarchies(), QStringList{root});
        QVERIFY(layout.cpuMount().isEmpty() && layout.memoryMount().isEmpty());
    }

    // This CI host: v1 cpu and cpuacct as separate mounts, memory, others, and a cgroup2 at
    // unified/ whose controllers lack cpu and memory.
    void hybridLikeThisHost()
    {
        const QString base = m_dir.filePath(u"hybrid"_s);
        const QString unified = mount(u"hybrid/unified"_s, "hugetlb");
        const CgroupLayout layout = detectFrom(
            u"31 23 0:28 / %1 rw,relatime - tmpfs tmpfs rw,mode=755\n"
            u"32 31 0:29 / %1/cpu rw,relatime - cgroup cgroup rw,cpu\n"
            u"33 31 0:30 / %1/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
            u"34 31 0:31 / %1/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
            u"35 31 0:32 / %1/memory rw,relatime - cgroup cgroup rw,memory\n"
            u"36 31 0:33 / %1/devices rw,relatime - cgroup cgroup rw,devices\n"
            u"40 31 0:37 / %1/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
            u"41 31 0:38 / %1/unified rw,relatime - cgroup2 cgroup2 rw\n"_s.arg(base));
        QCOMPARE(layout.kind(), CgroupLayout::Kind::Hybrid);
        QVERIFY(!layout.isUnified());
        QCOMPARE(layout.cpuMount(), base + u"/cpu"_s);
        QCOMPARE(layout.memoryMount(), base + u"/memory"_s);
        QCOMPARE(layout.unifiedMount(), unified);
        QCOMPARE(layout.hierarchies(), (QStringList{base + u"/cpu"_s, base + u"/memory"_s}));
        QVERIFY2(layout.describe().startsWith(u"hybrid"_s), qPrintable(layout.describe()));
    }

    // Classic systemd v1: cpu co-mounted with cpuacct under a comma name, optional fields
    // (shared:N) before the separator, and nothing named exactly "cpu".
    void v1CoMounted()
    {
        const CgroupLayout layout = detectFrom(
            u"25 24 0:22 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,xattr,name=systemd\n"
            u"28 24 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct\n"
            u"29 24 0:26 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpuset\n"
            u"30 24 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 master:3 - cgroup cgroup rw,memory\n"_s);
        QCOMPARE(layout.kind(), CgroupLayout::Kind::V1);
        QCOMPARE(layout.cpuMount(), u"/sys/fs/cgroup/cpu,cpuacct"_s);
        QCOMPARE(layout.memoryMount(), u"/sys/fs/cgroup/memory"_s);
        QVERIFY(layout.unifiedMount().isEmpty());
    }

    // cpu and memory in one v1 hierarchy: a job lives in that one directory.
    void v1SharedHierarchy()
    {
        const CgroupLayout layout = detectFrom(
            u"30 24 0:27 / /cg rw - cgroup none rw,cpu,memory\n"_s);
        QCOMPARE(layout.kind(), CgroupLayout::Kind::V1);
        QCOMPARE(layout.hierarchies(), QStringList{u"/cg"_s});
    }

    void escapedMountPoint()
    {
        const QString root = mount(u"with space"_s, "cpu memory");
        QString escaped = root;
        escaped.replace(u' ', u"\\040"_s);
        const CgroupLayout layout =
            detectFrom(u"26 23 0:24 / %1 rw - cgroup2 cgroup2 rw\n"_s.arg(escaped));
        QCOMPARE(layout.kind(), CgroupLayout::Kind::V2);
        QCOMPARE(layout.unifiedMount(), root);
    }

    void noCgroupAtAll()
    {
        const CgroupLayout layout = detectFrom(
            u"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
            u"23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"
            u"broken line without separator\n\n"_s);
        QCOMPARE(layout.kind(), CgroupLayout::Kind::None);
        QVERIFY(layout.hierarchies().isEmpty());
        QVERIFY2(layout.reason().contains(u"cgroup2: not mounted"_s), qPrintable(layout.reason()));
    }

    // A unified mount without memory and no v1 memory: nothing can hold both limits.
    void incompleteV2()
    {
        const QString root = mount(u"partial"_s, "cpu pids");
        const CgroupLayout layout = detectFrom(u"26 23 0:24 / %1 rw - cgroup2 cgroup2 rw\n"_s.arg(root));
        QCOMPARE(layout.kind(), CgroupLayout::Kind::None);
        QVERIFY2(layout.reason().contains(u"\"cpu pids\""_s), qPrintable(layout.reason()));
    }

    void unreadableMountInfo()
    {
        const CgroupLayout layout = CgroupLayout::detect(m_dir.filePath(u"missing"_s));
        QCOMPARE(layout.kind(), CgroupLayout::Kind::None);
        QVERIFY2(layout.reason().contains(u"cannot read"_s), qPrintable(layout.reason()));
    }

    void fromRoot()
    {
        const QString v2 = mount(u"root-v2"_s, "cpu memory");
        QCOMPARE(CgroupLayout::fromRoot(v2).kind(), CgroupLayout::Kind::V2);
        QCOMPARE(CgroupLayout::fromRoot(v2 + u"/"_s).unifiedMount(), v2);

        const QString v1 = mount(u"root-v1"_s);
        QVERIFY(QDir(v1).mkpath(u"cpu"_s) && QDir(v1).mkpath(u"memory"_s));
        const CgroupLayout layout = CgroupLayout::fromRoot(v1);
        QCOMPARE(layout.kind(), CgroupLayout::Kind::V1);
        QCOMPARE(layout.hierarchies(), (QStringList{v1 + u"/cpu"_s, v1 + u"/memory"_s}));

        const QString neither = mount(u"root-none"_s);
        QVERIFY(QDir(neither).mkpath(u"cpu"_s));
        const CgroupLayout none = CgroupLayout::fromRoot(neither);
        QCOMPARE(none.kind(), CgroupLayout::Kind::None);
        QVERIFY2(none.reason().contains(neither), qPrintable(none.reason()));
    }
};

QTEST_APPLESS_MAIN(CgroupLayoutTest)
#include "cgrouplayout.moc"

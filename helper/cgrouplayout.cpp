#include "cgrouplayout.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// mountinfo escapes space, tab, newline and backslash in paths as \ooo (octal).
QString unescapeMountPath(const QByteArray &field)
{
    const auto isOctal = [&field](qsizetype at) {
        return at < field.size() && field.at(at) >= '0' && field.at(at) <= '7';
    };
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field.at(i) == '\\' && isOctal(i + 1) && isOctal(i + 2) && isOctal(i + 3)) {
            out.append(char(field.mid(i + 1, 3).toInt(nullptr, 8)));
            i += 3;
            continue;
        }
        out.append(field.at(i));
    }
    return QString::fromUtf8(out);
}

QList<QByteArray> readControllers(const QString &unifiedMount)
{
    QFile file(unifiedMount + u"/cgroup.controllers"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().simplified().split(' ');
}

bool isDir(const QString &path)
{
    return QFileInfo(path).isDir();
}

} // namespace

CgroupLayout CgroupLayout::detect(const QString &mountInfoPath)
{
    CgroupLayout layout;
    QFile file(mountInfoPath);
    if (!file.open(QIODevice::ReadOnly)) {
        layout.m_reason = u"cannot read %1: %2"_s.arg(mountInfoPath, file.errorString());
        return layout;
    }
    // "36 35 98:0 /root /mnt rw,noatime master:1 - cgroup cgroup rw,cpu,cpuacct": optional
    // fields end at the lone "-", then fstype, source and the super options.
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype separator = fields.indexOf("-");
        if (separator < 6 || separator + 3 >= fields.size())
            continue;
        const QString mountPoint = unescapeMountPath(fields.at(4));
        const QByteArray &fstype = fields.at(separator + 1);
        if (fstype == "cgroup2" && layout.m_unified.isEmpty()) {
            layout.m_unified = mountPoint;
        } else if (fstype == "cgroup") {
            const QList<QByteArray> options = fields.at(separator + 3).split(',');
            if (options.contains("cpu") && layout.m_cpu.isEmpty())
                layout.m_cpu = mountPoint;
            if (options.contains("memory") && layout.m_memory.isEmpty())
                layout.m_memory = mountPoint;
        }
    }

    QList<QByteArray> controllers;
    if (!layout.m_unified.isEmpty())
        controllers = readControllers(layout.m_unified);
    if (controllers.contains("cpu") && controllers.contains("memory")) {
        layout.m_kind = Kind::V2;
    } else if (!layout.m_cpu.isEmpty() && !layout.m_memory.isEmpty()) {
        layout.m_kind = layout.m_unified.isEmpty() ? Kind::V1 : Kind::Hybrid;
    } else {
        layout.m_reason =
            u"no cgroup hierarchy offers the cpu and memory controllers (cgroup2: %1; v1 cpu: %2; "
            u"v1 memory: %3)"_s
                .arg(layout.m_unified.isEmpty()
                         ? u"not mounted"_s
                         : layout.m_unified + u" with \""_s
                               + QString::fromLatin1(controllers.join(' ')) + u'"',
                     layout.m_cpu.isEmpty() ? u"not mounted"_s : layout.m_cpu,
                     layout.m_memory.isEmpty() ? u"not mounted"_s : layout.m_memory);
    }
    return layout;
}

CgroupLayout CgroupLayout::fromRoot(const QString &dir)
{
    CgroupLayout layout;
    const QString root = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    if (QFileInfo(root + u"/cgroup.controllers"_s).isFile()) {
        layout.m_kind = Kind::V2;
        layout.m_unified = root;
    } else if (isDir(root + u"/cpu"_s) && isDir(root + u"/memory"_s)) {
        layout.m_kind = Kind::V1;
        layout.m_cpu = root + u"/cpu"_s;
        layout.m_memory = root + u"/memory"_s;
    } else {
        layout.m_reason =
            u"%1 is no cgroup root: it holds neither cgroup.controllers (v2) nor cpu/ and memory/ "
            u"(v1)"_s.arg(root);
    }
    return layout;
}

QStringList CgroupLayout::hierarchies() const
{
    switch (m_kind) {
    case Kind::None:
        return {};
    case Kind::V2:
        return {m_unified};
    case Kind::V1:
    case Kind::Hybrid:
        break;
    }
    return m_cpu == m_memory ? QStringList{m_cpu} : QStringList{m_cpu, m_memory};
}

QString CgroupLayout::describe() const
{
    switch (m_kind) {
    case Kind::None:
        return u"none: "_s + m_reason;
    case Kind::V2:
        return u"v2 at %1"_s.arg(m_unified);
    case Kind::V1:
        return u"v1: cpu at %1, memory at %2"_s.arg(m_cpu, m_memory);
    case Kind::Hybrid:
        break;
    }
    return u"hybrid: cpu at %1, memory at %2 (cgroup2 at %3 without cpu and memory)"_s.arg(
        m_cpu, m_memory, m_unified);
}

QString CgroupLayout::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return u"none"_s;
    case Kind::V1:
        return u"v1"_s;
    case Kind::V2:
        return u"v2"_s;
    case Kind::Hybrid:
        break;
    }
    return u"hybrid"_s;
}

} // namespace Pitwall

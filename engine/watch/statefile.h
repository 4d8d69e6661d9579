#pragma once

#include "watch/healthmonitor.h"
#include "watch/trackedprocess.h"

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

namespace Pitwall {

// The scanner's counters, kept across restarts through the state file.
struct Statistics
{
    quint64 totalScans = 0;       // completed successful scans
    quint64 totalDiscovered = 0;  // process incarnations tracked for the first time (a
                                  // re-adopted process after a restart is not counted again)
    quint64 totalAttachments = 0; // successful cgroup moves
    quint64 totalFailed = 0;      // failed attach attempts (retries included)
    quint64 totalExited = 0;      // tracked processes seen to exit
    QDateTime lastScanAt;         // written at the top level, where the old daemon had it
    double lastScanDurationMs = 0;

    friend bool operator==(const Statistics &, const Statistics &) = default;
};

// Everything watch-state.json holds. Keys of `processes` are the pids in decimal.
struct WatchState
{
    static constexpr int currentSchemaVersion = 2;

    QMap<QString, TrackedProcess> processes;
    Statistics statistics;
    Health health;
    // 1 = the old daemon's format (no schema_version key, optional "version": "1.0"),
    // 2 = this one. save() always writes the current version.
    int schemaVersion = currentSchemaVersion;

    friend bool operator==(const WatchState &, const WatchState &) = default;
};

struct StateLoadResult
{
    WatchState state;
    QString warning;          // set when the file was unusable: names the file and the reason
    QString quarantinedPath;  // where the unusable file was moved; empty if it was not moved
};

// watch-state.json on disk. Writes are atomic: a reader or a crash sees the old file or the
// new one, never a mix.
class StateFile final
{
public:
    explicit StateFile(QString path);

    const QString &path() const { return m_path; }

    // A missing file is a fresh, empty state. A file that is not valid JSON or not a state of
    // a known schema is moved aside to "<path>.corrupt-<UTC yyyyMMddTHHmmssZ>" (so the next
    // save cannot destroy the evidence) and reported in `warning`; the state is then empty.
    StateLoadResult load(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    // Writes "<path>.tmp-<pid>" next to the file, fsyncs it, renames it over the file and
    // fsyncs the directory. The directory is created if missing. On failure the old file is
    // untouched, the temporary file removed, and *error names the file and the cause.
    bool save(const WatchState &state, QString *error = nullptr) const;

    // Pretty, stable JSON (sorted keys, 4-space indent, trailing newline).
    static QByteArray serialize(const WatchState &state);
    static std::optional<WatchState> parse(const QByteArray &json, QString *error);

private:
    QString quarantine(const QDateTime &now, QString *error) const;

    QString m_path;
};

} // namespace Pitwall

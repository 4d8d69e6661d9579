#pragma once

#include "vod/downloadprogress.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>

#include <algorithm>

// What a DownloadJob or DownloadAttempts showed the operator and the database while it ran.
struct ProgressLog
{
    QList<double> percents;   // each progressChanged, in order
    QList<qint64> bytes;
    QList<qint64> persistedAt; // ms since attach, each progressPersist
    QStringList lines;        // stdout lines that were not progress
    QElapsedTimer clock;

    template<typename Source>
    void attach(Source *source)
    {
        clock.start();
        QObject::connect(source, &Source::progressChanged, source,
                         [this](const Pitwall::DownloadProgress &progress) {
                             percents.append(progress.percent());
                             bytes.append(progress.bytes());
                         });
        QObject::connect(source, &Source::progressPersist, source,
                         [this](const Pitwall::DownloadProgress &) { persistedAt.append(clock.elapsed()); });
        QObject::connect(source, &Source::outputLine, source,
                         [this](const QString &line) { lines.append(line); });
    }

    bool neverRegresses() const
    {
        return std::is_sorted(percents.cbegin(), percents.cend())
               && std::is_sorted(bytes.cbegin(), bytes.cend());
    }
    qsizetype distinctPercents() const
    {
        QList<double> distinct = percents;
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        return distinct.size();
    }
    // The shortest time between two persisted updates, -1 with fewer than two.
    qint64 shortestPersistGap() const
    {
        qint64 shortest = -1;
        for (qsizetype i = 1; i < persistedAt.size(); ++i) {
            const qint64 gap = persistedAt[i] - persistedAt[i - 1];
            shortest = shortest < 0 ? gap : std::min(shortest, gap);
        }
        return shortest;
    }
};

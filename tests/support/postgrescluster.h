#pragma once

#include <QString>
#include <QTemporaryDir>

// A private PostgreSQL cluster (tests/support/pg-cluster.sh) in a temporary directory on a free
// port, for tests that stop and restart their own server. Stopped and deleted on destruction.
class PostgresCluster final
{
public:
    PostgresCluster();
    ~PostgresCluster();
    Q_DISABLE_COPY_MOVE(PostgresCluster)

    // Whether the PostgreSQL server binaries the script uses are installed.
    static bool serverAvailable();

    // The first start runs initdb (a few seconds); false with *error holding the script output.
    bool start(QString *error = nullptr);
    bool stop(QString *error = nullptr);

    quint16 port() const { return m_port; }
    // postgres://pitwall@127.0.0.1:<port>/<database>
    QString url(const QString &database = QStringLiteral("postgres")) const;

private:
    bool run(const QString &command, QString *error);

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_started = false;
};

// The reference server for tests/bench/run.sh: Qt's own QHttpServer answering "ok" on /healthz.
#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    server.route(QStringLiteral("/healthz"), [] {
        return QHttpServerResponse("text/plain", "ok");
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0)
        return 1;
    std::printf("listening on 127.0.0.1:%u\n", port);
    std::fflush(stdout);
    return app.exec();
}

#include "core/db/databasesettings.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Every keyword this libpq accepts in a connection string, straight from the library.
const QSet<QString> &libpqKeywords()
{
    static const QSet<QString> keywords = [] {
        QSet<QString> result;
        PQconninfoOption *options = PQconndefaults();
        for (const PQconninfoOption *option = options; option && option->keyword; ++option)
            result.insert(QString::fromLatin1(option->keyword));
        PQconninfoFree(options);
        return result;
    }();
    return keywords;
}

bool isSecret(const QString &keyword)
{
    return keyword == u"password" || keyword == u"sslpassword";
}

QString percentDecode(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

QString percentEncode(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

bool isSpace(QChar c)
{
    return c.isSpace();
}

} // namespace

// One parse: the settings being built and where errors go.
struct DatabaseSettings::Parser
{
    DatabaseSettings settings;
    QString *error;

    bool fail(const QString &message)
    {
        if (error)
            *error = message;
        return false;
    }

    bool setPort(const QString &text)
    {
        static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
        if (!digits.match(text).hasMatch())
            return fail(u"port '%1' is not a number"_s.arg(text));
        const int port = text.toInt();
        if (port < 1 || port > 65535)
            return fail(u"port '%1' out of range 1..65535"_s.arg(text));
        settings.m_port = port;
        return true;
    }

    bool apply(const QString &keyword, const QString &value)
    {
        if (keyword == u"host") {
            settings.m_host = value;
        } else if (keyword == u"port") {
            return setPort(value);
        } else if (keyword == u"dbname") {
            settings.m_databaseName = value;
        } else if (keyword == u"user") {
            settings.m_user = value;
        } else if (keyword == u"password") {
            settings.m_password = value;
        } else if (libpqKeywords().contains(keyword)) {
            // QPSQL joins its connect options with ';' and turns every ';' into a space.
            if (value.contains(u';'))
                return fail(u"connection parameter '%1' must not contain ';'"_s.arg(keyword));
            settings.m_connectOptions.removeIf([&](const Option &o) { return o.first == keyword; });
            settings.m_connectOptions.append({keyword, value});
        } else {
            return fail(u"unknown connection parameter '%1'"_s.arg(keyword));
        }
        return true;
    }

    // "user:pass@host:port/db?k=v&k=v", the part after "postgres://".
    bool parseUrl(QStringView rest)
    {
        settings.m_kind = Dialect::Kind::Postgres;
        const qsizetype question = rest.indexOf(u'?');
        const QStringView main = question < 0 ? rest : rest.left(question);
        const qsizetype slash = main.indexOf(u'/');
        QStringView authority = slash < 0 ? main : main.left(slash);
        if (slash >= 0)
            settings.m_databaseName = percentDecode(main.mid(slash + 1));

        const qsizetype at = authority.lastIndexOf(u'@');
        if (at >= 0) {
            const QStringView userInfo = authority.left(at);
            const qsizetype colon = userInfo.indexOf(u':');
            settings.m_user = percentDecode(colon < 0 ? userInfo : userInfo.left(colon));
            if (colon >= 0)
                settings.m_password = percentDecode(userInfo.mid(colon + 1));
            authority = authority.mid(at + 1);
        }
        if (!parseHostPort(authority))
            return false;

        if (question < 0)
            return true;
        const auto pairs = rest.mid(question + 1).split(u'&', Qt::SkipEmptyParts);
        for (const QStringView pair : pairs) {
            const qsizetype equals = pair.indexOf(u'=');
            if (equals < 0)
                return fail(u"connection parameter '%1' has no value"_s.arg(percentDecode(pair)));
            if (!apply(percentDecode(pair.left(equals)), percentDecode(pair.mid(equals + 1))))
                return false;
        }
        return true;
    }

    bool parseHostPort(QStringView authority)
    {
        QStringView host = authority;
        QStringView port;
        bool hasPort = false;
        if (authority.startsWith(u'[')) {
            const qsizetype close = authority.indexOf(u']');
            if (close < 0)
                return fail(u"unterminated '[' in host"_s);
            host = authority.mid(1, close - 1);
            const QStringView after = authority.mid(close + 1);
            if (!after.isEmpty() && !after.startsWith(u':'))
                return fail(u"unexpected '%1' after ']' in host"_s.arg(after));
            hasPort = !after.isEmpty();
            port = after.mid(hasPort ? 1 : 0);
        } else if (const qsizetype colon = authority.lastIndexOf(u':'); colon >= 0) {
            host = authority.left(colon);
            port = authority.mid(colon + 1);
            hasPort = true;
        }
        settings.m_host = percentDecode(host);
        return !hasPort || setPort(port.toString());
    }

    // libpq's "keyword = value ..." form; values may be single-quoted, backslash escapes.
    bool parseKeyValue(QStringView text)
    {
        settings.m_kind = Dialect::Kind::Postgres;
        qsizetype i = 0;
        const qsizetype n = text.size();
        const auto skipSpaces = [&] {
            while (i < n && isSpace(text[i]))
                ++i;
        };
        while (true) {
            skipSpaces();
            if (i == n)
                return true;
            const qsizetype keywordStart = i;
            while (i < n && !isSpace(text[i]) && text[i] != u'=')
                ++i;
            const QString keyword = text.mid(keywordStart, i - keywordStart).toString();
            if (keyword.isEmpty())
                return fail(u"missing keyword before '=' in connection string"_s);
            skipSpaces();
            if (i == n || text[i] != u'=')
                return fail(u"missing '=' after '%1' in connection string"_s.arg(keyword));
            ++i;
            skipSpaces();
            QString value;
            if (i < n && text[i] == u'\'') {
                ++i;
                while (true) {
                    if (i == n)
                        return fail(u"unterminated quoted value for '%1'"_s.arg(keyword));
                    if (text[i] == u'\\' && i + 1 < n) {
                        value += text[i + 1];
                        i += 2;
                    } else if (text[i] == u'\'') {
                        ++i;
                        break;
                    } else {
                        value += text[i++];
                    }
                }
            } else {
                while (i < n && !isSpace(text[i])) {
                    if (text[i] == u'\\' && i + 1 < n)
                        ++i;
                    value += text[i++];
                }
            }
            if (!apply(keyword, value))
                return false;
        }
    }

    // The part after "sqlite:": "///abs/path.db", "/abs/path.db" or "relative.db".
    bool parseSqlite(QStringView rest, const QString &dataDir)
    {
        settings.m_kind = Dialect::Kind::Sqlite;
        if (rest.contains(u'?'))
            return fail(u"sqlite URLs take no parameters"_s);
        if (rest.startsWith(u"//")) {
            rest = rest.mid(2);
            if (!rest.startsWith(u'/'))
                return fail(u"sqlite URL names a host; use sqlite:///absolute/path or sqlite:relative/path"_s);
        }
        const QString path = percentDecode(rest);
        if (path.isEmpty())
            return fail(u"sqlite URL has no file path"_s);
        settings.m_sqlitePath = QDir::cleanPath(QDir(dataDir).absoluteFilePath(path));
        return true;
    }
};

std::optional<DatabaseSettings> DatabaseSettings::parse(const QString &value,
                                                        const QString &dataDir, QString *error)
{
    static const QRegularExpression schemePattern(u"^([A-Za-z][A-Za-z0-9+.-]*):"_s);
    static const QRegularExpression keyValuePattern(u"^[A-Za-z_]+\\s*="_s);

    Parser parser{DatabaseSettings(), error};
    const QString text = value.trimmed();
    bool ok = false;
    if (text.isEmpty()) {
        ok = parser.parseSqlite(u"pitwall.db", dataDir);
    } else if (const auto match = schemePattern.match(text); match.hasMatch()) {
        const QString scheme = match.captured(1).toLower();
        const QStringView rest = QStringView(text).mid(match.capturedLength());
        if (scheme == u"sqlite")
            ok = parser.parseSqlite(rest, dataDir);
        else if (scheme != u"postgres" && scheme != u"postgresql")
            ok = parser.fail(u"unsupported scheme '%1'"_s.arg(scheme));
        else if (!rest.startsWith(u"//"))
            ok = parser.fail(u"a PostgreSQL URL starts with %1://"_s.arg(scheme));
        else
            ok = parser.parseUrl(rest.mid(2));
    } else if (keyValuePattern.match(text).hasMatch()) {
        ok = parser.parseKeyValue(text);
    } else {
        ok = parser.fail(u"unrecognised database setting: expected postgres://..., "
                         "postgresql://..., sqlite:... or libpq key=value pairs"_s);
    }
    if (!ok)
        return std::nullopt;
    return parser.settings;
}

std::optional<QString> DatabaseSettings::connectOption(const QString &keyword) const
{
    for (const Option &option : m_connectOptions) {
        if (option.first == keyword)
            return option.second;
    }
    return std::nullopt;
}

QString DatabaseSettings::redacted() const
{
    if (m_kind == Dialect::Kind::Sqlite)
        return u"sqlite://"_s + m_sqlitePath;

    QString url = u"postgres://"_s;
    if (!m_user.isEmpty() || !m_password.isEmpty()) {
        url += percentEncode(m_user);
        if (!m_password.isEmpty())
            url += u":***"_s;
        url += u'@';
    }
    url += m_host.contains(u':') ? u'[' + m_host + u']' : percentEncode(m_host);
    url += u':' + QString::number(m_port) + u'/' + percentEncode(m_databaseName);
    QStringList query;
    for (const auto &[keyword, value] : m_connectOptions)
        query << keyword + u'=' + (isSecret(keyword) ? u"***"_s : percentEncode(value));
    if (!query.isEmpty())
        url += u'?' + query.join(u'&');
    return url;
}

} // namespace Pitwall

#include "core/db/sqlscript.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

class Splitter
{
public:
    Splitter(const QString &script, QString *error) : m_s(script), m_error(error) { }

    std::optional<QList<SqlStatement>> run()
    {
        const qsizetype n = m_s.size();
        qsizetype i = 0;
        while (i < n) {
            const QChar c = m_s[i];
            const QChar next = i + 1 < n ? m_s[i + 1] : QChar();
            if (c == u'-' && next == u'-') {
                const qsizetype newline = m_s.indexOf(u'\n', i);
                i = newline < 0 ? n : newline;
                continue;
            }
            if (c == u'/' && next == u'*') {
                const qsizetype close = m_s.indexOf(u"*/", i + 2);
                if (close < 0)
                    return fail(u"unterminated /* comment starting at line %1"_s, i);
                i = close + 2;
                continue;
            }
            if (c.isSpace()) {
                ++i;
                continue;
            }
            if (c == u';' && m_blockDepth == 0) {
                finishStatement();
                ++i;
                continue;
            }
            if (m_start < 0)
                m_start = i;
            const qsizetype end = tokenEnd(i);
            if (end < 0)
                return std::nullopt;
            m_contentEnd = i = end;
        }
        if (m_blockDepth > 0)
            return fail(u"unterminated trigger body (BEGIN without END) in the statement "
                        "starting at line %1"_s, m_start);
        finishStatement();
        return m_statements;
    }

private:
    // End of the token at `i`, or -1 (error set) when it is an unterminated quote.
    qsizetype tokenEnd(qsizetype i)
    {
        const QChar c = m_s[i];
        if (c == u'\'') {
            // E'...' (PostgreSQL) takes backslash escapes.
            const bool escapes = i > 0 && (m_s[i - 1] == u'E' || m_s[i - 1] == u'e')
                    && (i < 2 || !isWordChar(m_s[i - 2]));
            return quotedEnd(i, escapes, u"unterminated string starting at line %1"_s);
        }
        if (c == u'"' || c == u'`')
            return quotedEnd(i, false, u"unterminated quoted identifier starting at line %1"_s);
        if (c == u'$')
            return dollarQuotedEnd(i);
        if (isWordStart(c)) {
            qsizetype end = i + 1;
            while (end < m_s.size() && isWordChar(m_s[end]))
                ++end;
            countWord(QStringView(m_s).mid(i, end - i));
            return end;
        }
        return i + 1;
    }

    qsizetype quotedEnd(qsizetype start, bool backslashEscapes, const QString &message)
    {
        const QChar quote = m_s[start];
        for (qsizetype i = start + 1; i < m_s.size(); ++i) {
            if (backslashEscapes && m_s[i] == u'\\') {
                ++i;
            } else if (m_s[i] == quote) {
                if (i + 1 < m_s.size() && m_s[i + 1] == quote)
                    ++i;
                else
                    return i + 1;
            }
        }
        fail(message, start);
        return -1;
    }

    // $$...$$ or $tag$...$tag$; a lone '$' (a "$1" parameter) is an ordinary character.
    qsizetype dollarQuotedEnd(qsizetype start)
    {
        static const QRegularExpression opening(u"\\$([A-Za-z_][A-Za-z0-9_]*)?\\$"_s);
        const auto match = opening.match(m_s, start, QRegularExpression::NormalMatch,
                                         QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch())
            return start + 1;
        const QString tag = match.captured(0);
        const qsizetype close = m_s.indexOf(tag, start + tag.size());
        if (close < 0) {
            fail(u"unterminated dollar-quoted string %1 starting at line %2"_s.arg(tag, u"%1"_s),
                 start);
            return -1;
        }
        return close + tag.size();
    }

    // In CREATE TRIGGER, ';' ends the statement only outside BEGIN ... END; CASE ... END nests.
    void countWord(QStringView word)
    {
        if (m_leadingWords.size() < 4)
            m_leadingWords << word.toString().toUpper();
        const bool trigger = m_leadingWords.value(0) == u"CREATE"
                && m_leadingWords.mid(1).contains(u"TRIGGER"_s);
        if (!trigger)
            return;
        if (word.compare(u"BEGIN", Qt::CaseInsensitive) == 0
            || word.compare(u"CASE", Qt::CaseInsensitive) == 0) {
            ++m_blockDepth;
        } else if (word.compare(u"END", Qt::CaseInsensitive) == 0 && m_blockDepth > 0) {
            --m_blockDepth;
        }
    }

    void finishStatement()
    {
        if (m_start >= 0)
            m_statements.append({m_s.mid(m_start, m_contentEnd - m_start), lineAt(m_start)});
        m_start = -1;
        m_leadingWords.clear();
        m_blockDepth = 0;
    }

    int lineAt(qsizetype pos) const
    {
        return int(QStringView(m_s).left(pos).count(u'\n')) + 1;
    }

    std::nullopt_t fail(const QString &message, qsizetype pos)
    {
        if (m_error)
            *m_error = message.arg(lineAt(pos));
        return std::nullopt;
    }

    const QString &m_s;
    QString *m_error;
    QList<SqlStatement> m_statements;
    QStringList m_leadingWords;
    qsizetype m_start = -1;
    qsizetype m_contentEnd = -1;
    int m_blockDepth = 0;
};

} // namespace

std::optional<QList<SqlStatement>> SqlScript::split(const QString &script, QString *error)
{
    return Splitter(script, error).run();
}

} // namespace Pitwall

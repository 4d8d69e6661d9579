#include "vod/twitchduration.h"

#include <array>

namespace Pitwall {

namespace {

struct Unit
{
    char16_t letter;
    qint64 seconds;
};

constexpr std::array<Unit, 3> units{{{u'h', 3600}, {u'm', 60}, {u's', 1}}};
// Nine digits per part keep the sum far from overflowing; no broadcast lasts that long.
constexpr qsizetype maxDigits = 9;

} // namespace

std::optional<qint64> parseTwitchDuration(QStringView text)
{
    qint64 total = 0;
    qsizetype position = 0;
    size_t nextUnit = 0; // units must come in order, each at most once
    while (position < text.size()) {
        const qsizetype digitsStart = position;
        qint64 number = 0;
        while (position < text.size() && text[position] >= u'0' && text[position] <= u'9') {
            number = number * 10 + (text[position].unicode() - u'0');
            ++position;
        }
        const qsizetype digits = position - digitsStart;
        if (digits == 0 || digits > maxDigits || position == text.size())
            return std::nullopt;
        const char16_t letter = text[position++].unicode();
        while (nextUnit < units.size() && units[nextUnit].letter != letter)
            ++nextUnit;
        if (nextUnit == units.size())
            return std::nullopt;
        total += number * units[nextUnit++].seconds;
    }
    if (position == 0)
        return std::nullopt;
    return total;
}

} // namespace Pitwall

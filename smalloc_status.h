/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The status array of one smalloc page: reading, searching and writing the
 * 2-bit unit codes a 64-bit word (32 units) at a time. Nothing here knows
 * about pools or locks; callers hold the lock of the page's arena.
 */
#ifndef _SMALLOC_STATUS_H
#define _SMALLOC_STATUS_H

#include <linux/bitops.h>
#include "smalloc_internal.h"

/* Low bit of every 2-bit pair: one flag per unit. */
#define SM_LOW_BITS	0x5555555555555555ULL
/* Units past SM_UNITS in the last word never exist; treat them as used. */
#define SM_TAIL_UNIT	(SM_UNITS - (SM_WORDS - 1) * SM_UNITS_PER_WORD)
#define SM_TAIL_USED	(SM_LOW_BITS & ~GENMASK_ULL(2 * SM_TAIL_UNIT - 1, 0))

static inline u64 sm_pattern(unsigned int code)
{
	return code * SM_LOW_BITS;
}

/* One bit per unit whose code is non-zero. */
static inline u64 sm_nonzero_units(u64 word)
{
	return (word | word >> 1) & SM_LOW_BITS;
}

static inline u64 sm_used_units(const struct smalloc_page *sp, unsigned int wi)
{
	u64 used = sm_nonzero_units(sp->status[wi]);

	return wi == SM_WORDS - 1 ? used | SM_TAIL_USED : used;
}

/* Status bits of units [lo, hi) of one word, 0 <= lo < hi <= 32. */
static inline u64 sm_span(unsigned int lo, unsigned int hi)
{
	return GENMASK_ULL(2 * hi - 1, 2 * lo);
}

static inline unsigned int sm_first_unit(unsigned int wi, u64 units)
{
	return min_t(unsigned int, wi * SM_UNITS_PER_WORD + __ffs64(units) / 2,
		     SM_UNITS);
}

static inline unsigned int smalloc_unit_code(const struct smalloc_page *sp,
					     unsigned int unit)
{
	unsigned int shift = SM_BITS_PER_UNIT * (unit % SM_UNITS_PER_WORD);

	return (sp->status[unit / SM_UNITS_PER_WORD] >> shift) & 3;
}

/*
 * First unit at or after @from whose code differs from @code, or SM_UNITS.
 * With @code FREE this finds the next used unit; with a USED code it finds
 * the end of the object starting at @from.
 */
static inline unsigned int sm_next_other(const struct smalloc_page *sp,
					 unsigned int from, unsigned int code)
{
	unsigned int wi = from / SM_UNITS_PER_WORD;
	u64 pattern = sm_pattern(code), units;

	if (from >= SM_UNITS)
		return SM_UNITS;
	units = sm_nonzero_units(sp->status[wi] ^ pattern);
	units &= ~0ULL << (2 * (from % SM_UNITS_PER_WORD));
	while (!units) {
		if (++wi == SM_WORDS)
			return SM_UNITS;
		units = sm_nonzero_units(sp->status[wi] ^ pattern);
	}
	return sm_first_unit(wi, units);
}

static inline unsigned int sm_next_used(const struct smalloc_page *sp, unsigned int from)
{
	return sm_next_other(sp, from, SM_FREE);
}

/* First free unit at or after @from, or SM_UNITS. */
static inline unsigned int sm_next_free(const struct smalloc_page *sp, unsigned int from)
{
	unsigned int wi = from / SM_UNITS_PER_WORD;
	u64 units;

	if (from >= SM_UNITS)
		return SM_UNITS;
	units = ~sm_used_units(sp, wi) & SM_LOW_BITS;
	units &= ~0ULL << (2 * (from % SM_UNITS_PER_WORD));
	while (!units) {
		if (++wi == SM_WORDS)
			return SM_UNITS;
		units = ~sm_used_units(sp, wi) & SM_LOW_BITS;
	}
	return sm_first_unit(wi, units);
}

/*
 * One past the last unit below @unit whose code differs from @code, or 0.
 * With @code FREE this is the end of the used units before a free run;
 * with the code of the object holding @unit it is that object's start.
 */
static inline unsigned int sm_prev_other_end(const struct smalloc_page *sp,
					     unsigned int unit,
					     unsigned int code)
{
	int wi = unit / SM_UNITS_PER_WORD;
	unsigned int lo = unit % SM_UNITS_PER_WORD;
	u64 pattern = sm_pattern(code), units;

	units = lo ? sm_nonzero_units(sp->status[wi] ^ pattern) & sm_span(0, lo) : 0;
	while (!units) {
		if (--wi < 0)
			return 0;
		units = sm_nonzero_units(sp->status[wi] ^ pattern);
	}
	return wi * SM_UNITS_PER_WORD + (fls64(units) - 1) / 2 + 1;
}

/* One past the last used unit below @unit, or 0 if all of them are free. */
static inline unsigned int sm_prev_used_end(const struct smalloc_page *sp,
					    unsigned int unit)
{
	return sm_prev_other_end(sp, unit, SM_FREE);
}

/*
 * A 16-bit check of one status word, kept outside the page for each word:
 * a word changed by anyone but sm_set_run() fails it with probability
 * 1 - 2^-16. The multiplier spreads every bit of the word into the top bits.
 */
static inline u16 sm_word_check(u64 word)
{
	return (word * 0x9e3779b97f4a7c15ULL) >> 48;
}

/* Words whose check fails, the first 64 of them as bits; 0 when intact. */
static inline u64 sm_bad_words(const struct smalloc_page *sp, const u16 *check)
{
	unsigned int wi;
	u64 bad = 0;

	for (wi = 0; wi < SM_WORDS; wi++)
		if (unlikely(sm_word_check(READ_ONCE(sp->status[wi])) != check[wi]))
			bad |= BIT_ULL(min(wi, 63U));
	return bad;
}

/* Write @code into units [start, start + n), a word at a time. */
static inline void sm_set_run(struct smalloc_page *sp, u16 *check,
			      unsigned int start, unsigned int n,
			      unsigned int code)
{
	u64 pattern = sm_pattern(code);
	unsigned int end = start + n;

	while (start < end) {
		unsigned int wi = start / SM_UNITS_PER_WORD;
		unsigned int lo = start % SM_UNITS_PER_WORD;
		unsigned int hi = min_t(unsigned int, end - wi * SM_UNITS_PER_WORD,
					SM_UNITS_PER_WORD);
		u64 mask = sm_span(lo, hi);

		sp->status[wi] = (sp->status[wi] & ~mask) | (pattern & mask);
		check[wi] = sm_word_check(sp->status[wi]);
		start = wi * SM_UNITS_PER_WORD + hi;
	}
}

/*
 * A code for units [start, start + n) that differs from both neighbours.
 * Two neighbours rule out at most two of the three USED codes.
 */
static inline unsigned int sm_pick_code(const struct smalloc_page *sp,
					unsigned int start, unsigned int n)
{
	unsigned int before = start ? smalloc_unit_code(sp, start - 1) : SM_FREE;
	unsigned int after = start + n < SM_UNITS ?
			     smalloc_unit_code(sp, start + n) : SM_FREE;
	unsigned int code = SM_USED1;

	while (code == before || code == after)
		code++;
	return code;
}

/* Is every unit in [start, start + n) free? Reads only the words it spans. */
static inline bool sm_run_is_free(const struct smalloc_page *sp,
				  unsigned int start, unsigned int n)
{
	unsigned int end = start + n, wi, lo, hi;

	if (end > SM_UNITS)
		return false;
	for (; start < end; start = wi * SM_UNITS_PER_WORD + hi) {
		wi = start / SM_UNITS_PER_WORD;
		lo = start % SM_UNITS_PER_WORD;
		hi = min_t(unsigned int, end - wi * SM_UNITS_PER_WORD,
			   SM_UNITS_PER_WORD);
		if (sm_nonzero_units(sp->status[wi]) & sm_span(lo, hi))
			return false;
	}
	return true;
}

/*
 * The first unit at or after @unit whose address is a multiple of @align, a
 * power of two: the data area starts SM_DATA_OFFSET bytes into the page.
 */
static inline unsigned int sm_align_unit(unsigned int unit, unsigned int align)
{
	return (ALIGN(SM_DATA_OFFSET + unit * SM_UNIT_SIZE, align) -
		SM_DATA_OFFSET) / SM_UNIT_SIZE;
}

/*
 * First free run of @n units at or after @start that begins on an @align
 * boundary; -1 if none. A run that does not fit is left at its first used
 * unit, past which no candidate within it can fit either.
 */
static inline int sm_find_run(const struct smalloc_page *sp, unsigned int start,
			      unsigned int n, unsigned int align)
{
	unsigned int at;

	while ((start = sm_next_free(sp, start)) < SM_UNITS) {
		at = sm_align_unit(start, align);
		if (sm_run_is_free(sp, at, n))
			return at;
		if (at + n > SM_UNITS)
			break;
		start = sm_next_used(sp, at);
	}
	return -1;
}

/* The longest free run at or after @start (the first free unit). */
static inline unsigned int sm_longest_run(const struct smalloc_page *sp,
					  unsigned int start)
{
	unsigned int end, longest = 0;

	while ((start = sm_next_free(sp, start)) < SM_UNITS) {
		end = sm_next_used(sp, start);
		longest = max(longest, end - start);
		start = end;
	}
	return longest;
}

static inline void *sm_data(struct smalloc_page *sp)
{
	return (void *)sp + SM_DATA_OFFSET;
}

#endif /* _SMALLOC_STATUS_H */

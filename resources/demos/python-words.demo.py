# %% demo: Python: counting words, live
# %% length: 10 min
# %% file: words.py
# %% note: Welcome! In ten minutes we count the words of a poem,
# %% note: find the most common ones, and plot them.
# %% note: Page Down (or the clicker) types each step.

# %% step: A poem to work on
# %% run
# %% note: A triple-quoted string keeps the line breaks.
# %% note: Run it: len() counts characters, not words yet.
poem = """The quick brown fox jumps over the lazy dog.
The dog sleeps; the fox runs. The fox is quick,
the dog is lazy, and the day is long."""
print(len(poem), "characters")

# %% step: Split it into words
# %% run
# %% note: lower() first, so "The" and "the" are the same word.
# %% note: split() with no argument splits on any run of spaces and newlines.
words = poem.lower().replace(".", " ").replace(",", " ").replace(";", " ").split()
print(len(words), "words")

# %% step: Count them with a dictionary
# %% run
# %% note: get(word, 0) avoids a KeyError for a word seen the first time.
# %% note: Ask the room: which word wins?

counts = {}
for word in words:
    counts[word] = counts.get(word, 0) + 1
print(counts)

# %% step: Let the library count
# %% replace: counts = {}
# %% through: counts[word] = counts.get(word, 0) + 1
# %% run
# %% note: collections.Counter replaces the three lines of the loop.
# %% note: It is a dictionary too: print shows the same counts, biggest first.
from collections import Counter
counts = Counter(words)

# %% step: Leave out the little words
# %% after: words = poem.lower()
# %% run
# %% note: A list comprehension with a set of words to skip.
# %% note: "fox" and "dog" win now.
words = [word for word in words if word not in {"the", "is", "and"}]

# %% step: The five most common
# %% run
# %% note: most_common(n) sorts for us; an f-string lines the columns up.

for word, count in counts.most_common(5):
    print(f"{word:>8} {'#' * count} {count}")

# %% step: Plot them
# %% run
# %% note: Open the Plotter (Ctrl+Shift+P) before this step:
# %% note: it draws every printed line that is a tuple of numbers.
# %% note: Thank the audience; questions.

import time
for rank, (word, count) in enumerate(counts.most_common(8)):
    print((rank, count))
    time.sleep(0.2)
